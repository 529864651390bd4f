"""The resource part of a finding: ``Resource`` and every kind of resource ``details``.

One class per botocore structure (the class name is the shape name), one attribute per
member (the snake_case of the member name, documented with the member it reads).
"""

from __future__ import annotations

from datetime import datetime

import attrs

from ._codec import (
    BOOLEAN,
    INTEGER,
    STRING,
    STRING_LIST,
    STRING_MAP,
    TIMESTAMP,
    ApiModel,
    EnumCodec,
    FrozenMap,
    ListCodec,
    ModelCodec,
    api_model,
    member,
)
from ._enums import (
    Architecture,
    CodeRepositoryProviderType,
    PackageType,
    Provider,
    ResourceType,
    Runtime,
)

__all__ = [
    "AwsEc2InstanceDetails",
    "AwsEcrContainerImageDetails",
    "AwsLambdaFunctionDetails",
    "CodeRepositoryDetails",
    "Image",
    "LambdaVpcConfig",
    "MachineImageDetails",
    "Resource",
    "ResourceDetails",
    "ServerlessFunction",
    "Vm",
]

_ARCHITECTURES = ListCodec(EnumCodec(Architecture))


@api_model("AwsEc2InstanceDetails")
@attrs.frozen(kw_only=True)
class AwsEc2InstanceDetails(ApiModel):
    """API ``AwsEc2InstanceDetails``: the EC2 instance a finding is about.

    Examples:
        >>> d = AwsEc2InstanceDetails.from_api({"type": "t3.medium", "imageId": "ami-0abc",
        ...     "ipV4Addresses": ["10.0.1.15"], "platform": "AMAZON_LINUX_2",
        ...     "launchedAt": "2026-09-01T12:00:00Z"})
        >>> d.type, d.ip_v4_addresses, d.launched_at.year
        ('t3.medium', ('10.0.1.15',), 2026)
    """

    type: str | None = member("type", STRING)
    """API ``type``: the instance type, e.g. ``t3.medium``."""
    image_id: str | None = member("imageId", STRING)
    """API ``imageId``: the AMI the instance was launched from."""
    ip_v4_addresses: tuple[str, ...] | None = member("ipV4Addresses", STRING_LIST)
    """API ``ipV4Addresses``."""
    ip_v6_addresses: tuple[str, ...] | None = member("ipV6Addresses", STRING_LIST)
    """API ``ipV6Addresses``."""
    key_name: str | None = member("keyName", STRING)
    """API ``keyName``: the key pair used to launch the instance."""
    iam_instance_profile_arn: str | None = member("iamInstanceProfileArn", STRING)
    """API ``iamInstanceProfileArn``."""
    vpc_id: str | None = member("vpcId", STRING)
    """API ``vpcId``."""
    subnet_id: str | None = member("subnetId", STRING)
    """API ``subnetId``."""
    launched_at: datetime | None = member("launchedAt", TIMESTAMP)
    """API ``launchedAt`` (aware UTC)."""
    platform: str | None = member("platform", STRING)
    """API ``platform``: the operating system, in Inspector's spelling (``AMAZON_LINUX_2``)."""


@api_model("AwsEcrContainerImageDetails")
@attrs.frozen(kw_only=True)
class AwsEcrContainerImageDetails(ApiModel):
    """API ``AwsEcrContainerImageDetails``: the ECR image a finding is about.

    Examples:
        >>> d = AwsEcrContainerImageDetails.from_api({"repositoryName": "web",
        ...     "registry": "111122223333", "imageHash": "sha256:" + "ab" * 32,
        ...     "imageTags": ["latest"], "inUseCount": 3})
        >>> d.repository_name, d.image_tags, d.in_use_count
        ('web', ('latest',), 3)
    """

    repository_name: str = member("repositoryName", STRING, required=True)
    """API ``repositoryName`` (required)."""
    image_tags: tuple[str, ...] | None = member("imageTags", STRING_LIST)
    """API ``imageTags``."""
    pushed_at: datetime | None = member("pushedAt", TIMESTAMP)
    """API ``pushedAt`` (aware UTC)."""
    author: str | None = member("author", STRING)
    """API ``author``."""
    architecture: str | None = member("architecture", STRING)
    """API ``architecture``, as the image reports it (``amd64``, ``arm64``)."""
    image_hash: str = member("imageHash", STRING, required=True)
    """API ``imageHash`` (required): the image digest, ``sha256:`` and 64 hex digits."""
    registry: str = member("registry", STRING, required=True)
    """API ``registry`` (required): the registry (account) id."""
    platform: str | None = member("platform", STRING)
    """API ``platform``: the image's operating system, in Inspector's spelling."""
    last_in_use_at: datetime | None = member("lastInUseAt", TIMESTAMP)
    """API ``lastInUseAt``: when an ECS task or EKS pod last ran the image (aware UTC)."""
    in_use_count: int | None = member("inUseCount", INTEGER)
    """API ``inUseCount``: how many ECS tasks or EKS pods run the image."""


@api_model("LambdaVpcConfig")
@attrs.frozen(kw_only=True)
class LambdaVpcConfig(ApiModel):
    """API ``LambdaVpcConfig``: the VPC a Lambda function is attached to.

    Examples:
        >>> c = LambdaVpcConfig.from_api({"vpcId": "vpc-0abc", "subnetIds": ["subnet-1"],
        ...     "securityGroupIds": ["sg-1", "sg-2"]})
        >>> c.vpc_id, c.security_group_ids
        ('vpc-0abc', ('sg-1', 'sg-2'))
    """

    subnet_ids: tuple[str, ...] | None = member("subnetIds", STRING_LIST)
    """API ``subnetIds``."""
    security_group_ids: tuple[str, ...] | None = member("securityGroupIds", STRING_LIST)
    """API ``securityGroupIds``."""
    vpc_id: str | None = member("vpcId", STRING)
    """API ``vpcId``."""


@api_model("AwsLambdaFunctionDetails")
@attrs.frozen(kw_only=True)
class AwsLambdaFunctionDetails(ApiModel):
    """API ``AwsLambdaFunctionDetails``: the Lambda function a finding is about.

    Examples:
        >>> d = AwsLambdaFunctionDetails.from_api({"functionName": "ingest",
        ...     "runtime": "PYTHON_3_12", "codeSha256": "3q2+7w==", "version": "$LATEST",
        ...     "executionRoleArn": "arn:aws:iam::111122223333:role/ingest",
        ...     "packageType": "ZIP", "architectures": ["ARM64"]})
        >>> d.runtime, d.architectures
        (<Runtime.PYTHON_3_12: 'PYTHON_3_12'>, (<Architecture.ARM64: 'ARM64'>,))
    """

    function_name: str = member("functionName", STRING, required=True)
    """API ``functionName`` (required)."""
    runtime: Runtime | str = member("runtime", EnumCodec(Runtime), required=True)
    """API ``runtime`` (required), e.g. ``Runtime.PYTHON_3_12``; open enum."""
    code_sha256: str = member("codeSha256", STRING, required=True)
    """API ``codeSha256`` (required)."""
    version: str = member("version", STRING, required=True)
    """API ``version`` (required): ``$LATEST`` or a version number."""
    execution_role_arn: str = member("executionRoleArn", STRING, required=True)
    """API ``executionRoleArn`` (required)."""
    layers: tuple[str, ...] | None = member("layers", STRING_LIST)
    """API ``layers``: layer ARNs."""
    vpc_config: LambdaVpcConfig | None = member("vpcConfig", ModelCodec(LambdaVpcConfig))
    """API ``vpcConfig``."""
    package_type: PackageType | str | None = member("packageType", EnumCodec(PackageType))
    """API ``packageType``: ``ZIP`` or ``IMAGE``."""
    architectures: tuple[Architecture | str, ...] | None = member("architectures", _ARCHITECTURES)
    """API ``architectures``."""
    last_modified_at: datetime | None = member("lastModifiedAt", TIMESTAMP)
    """API ``lastModifiedAt`` (aware UTC)."""


@api_model("CodeRepositoryDetails")
@attrs.frozen(kw_only=True)
class CodeRepositoryDetails(ApiModel):
    """API ``CodeRepositoryDetails``: a scanned source repository (Inspector code security).

    Examples:
        >>> d = CodeRepositoryDetails.from_api({"projectName": "octo/web",
        ...     "providerType": "GITHUB"})
        >>> d.project_name, d.provider_type
        ('octo/web', <CodeRepositoryProviderType.GITHUB: 'GITHUB'>)
    """

    project_name: str | None = member("projectName", STRING)
    """API ``projectName``."""
    integration_arn: str | None = member("integrationArn", STRING)
    """API ``integrationArn``: the code-security integration that scans it."""
    provider_type: CodeRepositoryProviderType | str | None = member(
        "providerType", EnumCodec(CodeRepositoryProviderType)
    )
    """API ``providerType``: ``GITHUB`` or ``GITLAB_SELF_MANAGED``."""


@api_model("MachineImageDetails")
@attrs.frozen(kw_only=True)
class MachineImageDetails(ApiModel):
    """API ``MachineImageDetails``: an Amazon Machine Image (AMI) a finding is about.

    Examples:
        >>> d = MachineImageDetails.from_api({"machineImageId": "ami-0abc",
        ...     "architecture": "X86_64", "isPublic": False, "state": "available"})
        >>> d.machine_image_id, d.architecture, d.is_public
        ('ami-0abc', <Architecture.X86_64: 'X86_64'>, False)
    """

    machine_image_id: str = member("machineImageId", STRING, required=True)
    """API ``machineImageId`` (required), ``ami-...``."""
    name: str | None = member("name", STRING)
    """API ``name``."""
    owner_account_id: str | None = member("ownerAccountId", STRING)
    """API ``ownerAccountId``."""
    platform: str | None = member("platform", STRING)
    """API ``platform``."""
    architecture: Architecture | str | None = member("architecture", EnumCodec(Architecture))
    """API ``architecture``."""
    creation_date: datetime | None = member("creationDate", TIMESTAMP)
    """API ``creationDate`` (aware UTC)."""
    state: str | None = member("state", STRING)
    """API ``state``."""
    is_public: bool | None = member("isPublic", BOOLEAN)
    """API ``isPublic``."""
    root_device_type: str | None = member("rootDeviceType", STRING)
    """API ``rootDeviceType``."""
    virtualization_type: str | None = member("virtualizationType", STRING)
    """API ``virtualizationType``."""
    source_resource_id: str | None = member("sourceResourceId", STRING)
    """API ``sourceResourceId``: the instance the image was made from, ``i-...``."""


@api_model("Vm")
@attrs.frozen(kw_only=True)
class Vm(ApiModel):
    """API ``Vm``: a virtual machine in another cloud (Azure, GCP).

    Examples:
        >>> vm = Vm.from_api({"vmName": "web-1", "type": "Standard_B2s",
        ...     "ipV4Addresses": ["10.1.0.4"], "platform": "UBUNTU_22_04"})
        >>> vm.vm_name, vm.type, vm.ip_v4_addresses
        ('web-1', 'Standard_B2s', ('10.1.0.4',))
    """

    type: str | None = member("type", STRING)
    """API ``type``: the VM size or machine type."""
    vm_name: str | None = member("vmName", STRING)
    """API ``vmName``."""
    vm_image_reference: str | None = member("vmImageReference", STRING)
    """API ``vmImageReference``."""
    ip_v4_addresses: tuple[str, ...] | None = member("ipV4Addresses", STRING_LIST)
    """API ``ipV4Addresses``."""
    ip_v6_addresses: tuple[str, ...] | None = member("ipV6Addresses", STRING_LIST)
    """API ``ipV6Addresses``."""
    network_id: str | None = member("networkId", STRING)
    """API ``networkId``."""
    subnet_ids: tuple[str, ...] | None = member("subnetIds", STRING_LIST)
    """API ``subnetIds``."""
    security_group_ids: tuple[str, ...] | None = member("securityGroupIds", STRING_LIST)
    """API ``securityGroupIds``."""
    launched_at: datetime | None = member("launchedAt", TIMESTAMP)
    """API ``launchedAt`` (aware UTC)."""
    platform: str | None = member("platform", STRING)
    """API ``platform``."""
    execution_role: str | None = member("executionRole", STRING)
    """API ``executionRole``."""
    key_name: str | None = member("keyName", STRING)
    """API ``keyName``."""


@api_model("Image")
@attrs.frozen(kw_only=True)
class Image(ApiModel):
    """API ``Image``: a container image in another cloud's registry (Azure, GCP).

    Examples:
        >>> image = Image.from_api({"repositoryName": "web", "registry": "acme.azurecr.io",
        ...     "imageTags": ["v2"], "imageDigest": "sha256:" + "cd" * 32})
        >>> image.registry, image.image_tags
        ('acme.azurecr.io', ('v2',))
    """

    repository_name: str | None = member("repositoryName", STRING)
    """API ``repositoryName``."""
    registry: str | None = member("registry", STRING)
    """API ``registry``."""
    image_tags: tuple[str, ...] | None = member("imageTags", STRING_LIST)
    """API ``imageTags``."""
    image_digest: str | None = member("imageDigest", STRING)
    """API ``imageDigest``."""
    pushed_at: datetime | None = member("pushedAt", TIMESTAMP)
    """API ``pushedAt`` (aware UTC)."""
    architecture: str | None = member("architecture", STRING)
    """API ``architecture``."""
    author: str | None = member("author", STRING)
    """API ``author``."""
    in_use_count: int | None = member("inUseCount", INTEGER)
    """API ``inUseCount``."""
    last_in_use_at: datetime | None = member("lastInUseAt", TIMESTAMP)
    """API ``lastInUseAt`` (aware UTC)."""
    platform: str | None = member("platform", STRING)
    """API ``platform``."""


@api_model("ServerlessFunction")
@attrs.frozen(kw_only=True)
class ServerlessFunction(ApiModel):
    """API ``ServerlessFunction``: a function in another cloud (Azure, GCP).

    Examples:
        >>> fn = ServerlessFunction.from_api({"serverlessFunctionName": "resize",
        ...     "runtime": "python3.12", "architectures": ["X86_64"]})
        >>> fn.serverless_function_name, fn.runtime, fn.architectures
        ('resize', 'python3.12', (<Architecture.X86_64: 'X86_64'>,))
    """

    serverless_function_name: str | None = member("serverlessFunctionName", STRING)
    """API ``serverlessFunctionName``."""
    runtime: str | None = member("runtime", STRING)
    """API ``runtime`` (free text here, unlike the Lambda enum)."""
    version: str | None = member("version", STRING)
    """API ``version``."""
    code_digest: str | None = member("codeDigest", STRING)
    """API ``codeDigest``."""
    last_modified_at: datetime | None = member("lastModifiedAt", TIMESTAMP)
    """API ``lastModifiedAt`` (aware UTC)."""
    network_id: str | None = member("networkId", STRING)
    """API ``networkId``."""
    subnet_ids: tuple[str, ...] | None = member("subnetIds", STRING_LIST)
    """API ``subnetIds``."""
    security_group_ids: tuple[str, ...] | None = member("securityGroupIds", STRING_LIST)
    """API ``securityGroupIds``."""
    execution_role: str | None = member("executionRole", STRING)
    """API ``executionRole``."""
    package_type: PackageType | str | None = member("packageType", EnumCodec(PackageType))
    """API ``packageType``."""
    architectures: tuple[Architecture | str, ...] | None = member("architectures", _ARCHITECTURES)
    """API ``architectures``."""
    layers: tuple[str, ...] | None = member("layers", STRING_LIST)
    """API ``layers``."""


@api_model("ResourceDetails")
@attrs.frozen(kw_only=True)
class ResourceDetails(ApiModel):
    """API ``ResourceDetails``: one member is set, by resource type.

    Detail kinds AWS adds later land in ``extra`` and survive ``to_api()``.

    Examples:
        >>> d = ResourceDetails.from_api({"awsEc2Instance": {"type": "t3.micro"},
        ...     "futureKind": {"id": "x-1"}})
        >>> d.aws_ec2_instance.type, d.aws_lambda_function, d.to_api()["futureKind"]
        ('t3.micro', None, {'id': 'x-1'})
    """

    aws_ec2_instance: AwsEc2InstanceDetails | None = member(
        "awsEc2Instance", ModelCodec(AwsEc2InstanceDetails)
    )
    """API ``awsEc2Instance``."""
    aws_ecr_container_image: AwsEcrContainerImageDetails | None = member(
        "awsEcrContainerImage", ModelCodec(AwsEcrContainerImageDetails)
    )
    """API ``awsEcrContainerImage``."""
    aws_lambda_function: AwsLambdaFunctionDetails | None = member(
        "awsLambdaFunction", ModelCodec(AwsLambdaFunctionDetails)
    )
    """API ``awsLambdaFunction``."""
    code_repository: CodeRepositoryDetails | None = member(
        "codeRepository", ModelCodec(CodeRepositoryDetails)
    )
    """API ``codeRepository``."""
    machine_image: MachineImageDetails | None = member(
        "machineImage", ModelCodec(MachineImageDetails)
    )
    """API ``machineImage``."""
    vm: Vm | None = member("vm", ModelCodec(Vm))
    """API ``vm`` (Azure/GCP virtual machines)."""
    image: Image | None = member("image", ModelCodec(Image))
    """API ``image`` (Azure/GCP container images)."""
    serverless_function: ServerlessFunction | None = member(
        "serverlessFunction", ModelCodec(ServerlessFunction)
    )
    """API ``serverlessFunction`` (Azure/GCP functions)."""


@api_model("Resource")
@attrs.frozen(kw_only=True)
class Resource(ApiModel):
    """API ``Resource``: a resource a finding is about.

    Examples:
        >>> r = Resource.from_api({"type": "AWS_EC2_INSTANCE", "id": "i-0abc",
        ...     "details": {"awsEc2Instance": {"platform": "AMAZON_LINUX_2023"}}})
        >>> r.type, r.platform
        (<ResourceType.AWS_EC2_INSTANCE: 'AWS_EC2_INSTANCE'>, 'AMAZON_LINUX_2023')
    """

    type: ResourceType | str = member("type", EnumCodec(ResourceType), required=True)
    """API ``type`` (required); open enum."""
    id: str = member("id", STRING, required=True)
    """API ``id`` (required): instance id, image ARN, function ARN, ..."""
    partition: str | None = member("partition", STRING)
    """API ``partition``, e.g. ``aws``."""
    region: str | None = member("region", STRING)
    """API ``region``."""
    tags: FrozenMap | None = member("tags", STRING_MAP)
    """API ``tags``: an immutable mapping of tag keys to values."""
    details: ResourceDetails | None = member("details", ModelCodec(ResourceDetails))
    """API ``details``."""
    provider: Provider | str | None = member("provider", EnumCodec(Provider))
    """API ``provider``: AWS, AZURE or GCP."""
    provider_account_id: str | None = member("providerAccountId", STRING)
    """API ``providerAccountId``: the account, subscription or project in that cloud."""
    provider_org_id: str | None = member("providerOrgId", STRING)
    """API ``providerOrgId``."""

    @property
    def short_name(self) -> str:
        """A short label for people: instance id, ``repository:tag``, function name.

        Azure/GCP resources (``details.vm``/``image``/``serverlessFunction``) show the
        provider's VM name, ``repository:tag`` or function name (and version).

        ECR images show their first tag (else ``repository@sha256:`` and 12 hex digits),
        Lambda functions their name (and version unless ``$LATEST``); anything else its id.

        Examples:
            >>> Resource.from_api({"type": "AWS_ECR_CONTAINER_IMAGE", "id": "arn:aws:ecr:...",
            ...     "details": {"awsEcrContainerImage": {"repositoryName": "payments/api",
            ...         "imageTags": ["v2.14.0"], "imageHash": "sha256:" + "ab" * 32,
            ...         "registry": "111122223333"}}}).short_name
            'payments/api:v2.14.0'
        """
        d = self.details
        if d is not None and d.aws_ecr_container_image is not None:
            image = d.aws_ecr_container_image
            if image.image_tags:
                return f"{image.repository_name}:{image.image_tags[0]}"
            return f"{image.repository_name}@{image.image_hash[:19]}"
        if d is not None and d.aws_lambda_function is not None:
            function = d.aws_lambda_function
            if function.version and function.version != "$LATEST":
                return f"{function.function_name}:{function.version}"
            return function.function_name
        if d is not None and d.vm is not None and d.vm.vm_name:
            return d.vm.vm_name
        repository = d.image.repository_name if d is not None and d.image is not None else None
        if d is not None and d.image is not None and repository:
            if d.image.image_tags:
                return f"{repository}:{d.image.image_tags[0]}"
            if d.image.image_digest:
                return f"{repository}@{d.image.image_digest[:19]}"
            return repository
        if d is not None and d.serverless_function is not None:
            serverless = d.serverless_function
            if serverless.serverless_function_name:
                if serverless.version:
                    return f"{serverless.serverless_function_name}:{serverless.version}"
                return serverless.serverless_function_name
        return self.id

    @property
    def is_other_cloud(self) -> bool:
        """Whether the resource lives in Azure or GCP (``provider`` is neither absent nor AWS).

        Examples:
            >>> Resource.from_api({"type": "Microsoft.Compute/virtualMachines", "id": "vm-1",
            ...     "provider": "AZURE"}).is_other_cloud
            True
            >>> Resource.from_api({"type": "AWS_EC2_INSTANCE", "id": "i-0abc"}).is_other_cloud
            False
        """
        return self.provider is not None and str(self.provider) != "AWS"

    @property
    def platform(self) -> str | None:
        """The operating-system platform from whichever ``details`` member carries one."""
        d = self.details
        if d is None:
            return None
        for part in (d.aws_ec2_instance, d.aws_ecr_container_image, d.machine_image, d.vm, d.image):
            if part is not None and part.platform:
                return part.platform
        return None
